{#- Grain: one row per customer_id (first landed row wins). Trimmed, canonical case. -#}

with

source as (

    select * from {{ source('bronze', 'customers') }}

),

standardised as (

    select
        upper(trim(customer_id)) as customer_id,
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        lower(trim(email)) as email,
        {{ dbt.safe_cast('age', dbt.type_int()) }} as age,
        upper(trim(state)) as state,
        trim(city) as city,
        case lower(trim(employment_status))
            when 'employed' then 'Employed'
            when 'self-employed' then 'Self-Employed'
            when 'self employed' then 'Self-Employed'
            when 'retired' then 'Retired'
            when 'student' then 'Student'
            when 'unemployed' then 'Unemployed'
        end as employment_status,
        {{ standard_card_type('card_type') }} as card_type,
        cast({{ dbt.safe_cast('credit_limit', 'decimal(18, 2)') }} as decimal(18, 2)) as credit_limit,
        {{ dbt.safe_cast('account_open_date', 'date') }} as account_open_date,
        _batch as source_batch,
        _source_file as source_file,
        _source_row as source_row,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source
    where customer_id is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by loaded_at, source_file, source_row
        ) as landed_rank
    from standardised

),

final as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        age,
        state,
        city,
        employment_status,
        card_type,
        credit_limit,
        account_open_date,
        source_batch,
        source_file,
        source_row,
        loaded_at
    from ranked
    where landed_rank = 1

)

select * from final
