{#- Grain: one row per customer version (SCD Type 2 on card_type and credit_limit; type 1 on
    email and city). customer_key = hash(customer_id, valid_from); valid_to is exclusive. -#}

with

versions as (

    select * from {{ ref('int_customer_versions') }}

),

final as (

    select
        customer_key,
        customer_id,
        version_number,
        valid_from,
        valid_to,
        is_current,
        change_reason,
        card_type,
        credit_limit,
        first_name,
        last_name,
        {{ dbt.concat(['first_name', "' '", 'last_name']) }} as full_name,
        email,
        age,
        state,
        city,
        employment_status,
        account_open_date
    from versions

)

select * from final
