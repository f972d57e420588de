{#- SCD2 integrity: versions of a customer tile time — each ends exactly where the next begins,
    the first begins at account opening, the last is open-ended, and none is empty. -#}

with

versions as (

    select * from {{ ref('dim_customer') }}

),

ordered as (

    select
        customer_id,
        version_number,
        valid_from,
        valid_to,
        is_current,
        account_open_date,
        lead(valid_from) over (partition by customer_id order by valid_from) as next_valid_from,
        row_number() over (partition by customer_id order by valid_from) as expected_number
    from versions

),

final as (

    select *
    from ordered
    where valid_from >= valid_to
        or (next_valid_from is not null and valid_to <> next_valid_from)
        or (next_valid_from is null and valid_to <> cast('9999-12-31' as date))
        or (version_number = 1 and valid_from <> account_open_date)
        or version_number <> expected_number

)

select * from final
