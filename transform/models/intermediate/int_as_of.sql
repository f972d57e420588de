{#- Grain: exactly one row. The as_of date every window is measured from (the as_of var, else the
    data's max transaction date; never the build day) and the calendar the data spans. -#}

with

transactions as (

    select * from {{ ref('stg_transactions') }}

),

customers as (

    select * from {{ ref('stg_customers') }}

),

changes as (

    select * from {{ ref('stg_customer_changes') }}

),

transaction_range as (

    select
        min(transaction_date) as first_transaction_date,
        max(transaction_date) as last_transaction_date
    from transactions

),

customer_range as (

    select
        min(account_open_date) as first_open_date,
        max(account_open_date) as last_open_date
    from customers

),

change_range as (

    select min(effective_date) as first_effective_date
    from changes

),

resolved as (

    select
        coalesce(
            {{ as_of_var() }},
            transaction_range.last_transaction_date,
            customer_range.last_open_date
        ) as as_of_date,
        transaction_range.first_transaction_date,
        transaction_range.last_transaction_date,
        customer_range.first_open_date,
        change_range.first_effective_date
    from transaction_range
    cross join customer_range
    cross join change_range

),

final as (

    select
        as_of_date,
        first_transaction_date as data_start_date,
        last_transaction_date as data_end_date,
        least(
            coalesce(first_transaction_date, as_of_date),
            coalesce(first_open_date, as_of_date),
            coalesce(first_effective_date, as_of_date),
            as_of_date
        ) as calendar_start_date,
        greatest(coalesce(last_transaction_date, as_of_date), as_of_date) as calendar_end_date
    from resolved

)

select * from final
