{#- Grain: one row per approved transaction on or before as_of.
    Every money metric downstream reads this model, so "approved only" lives in one place. -#}

{{ config(materialized='view') }}

with

transactions as (

    select * from {{ ref('stg_transactions') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

final as (

    select
        transactions.transaction_id,
        transactions.customer_id,
        transactions.transaction_date,
        transactions.transaction_amount,
        transactions.merchant_category_key,
        {{ dbt.datediff('transactions.transaction_date', 'as_of.as_of_date', 'day') }} as days_before_as_of
    from transactions
    cross join as_of
    where transactions.is_approved
        and transactions.transaction_date <= as_of.as_of_date

)

select * from final
