{#- Grain: one row per merchant category (case-insensitive name). -#}

with

source as (

    select * from {{ source('bronze', 'merchant_categories') }}

),

standardised as (

    select
        trim(category_name) as category_name,
        {{ category_lookup_name('category_name') }} as category_lookup_name,
        trim(category_group) as category_group,
        trim(spending_type) as spending_type,
        {{ dbt.safe_cast('lower(trim(discretionary_flag))', dbt.type_boolean()) }} as discretionary_flag,
        trim(cast(mcc as {{ dbt.type_string() }})) as mcc
    from source
    where category_name is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by category_lookup_name
            order by category_name
        ) as name_rank
    from standardised

),

final as (

    select
        {{ hash_key(['category_lookup_name']) }} as merchant_category_key,
        category_name,
        category_lookup_name,
        category_group,
        spending_type,
        discretionary_flag,
        mcc
    from ranked
    where name_rank = 1

)

select * from final
