{#- Grain: one row per customer and calendar month, from the later of the account's opening month
    and the data's first month through the as_of month, including months with no spend. -#}

with

customers as (

    select * from {{ ref('stg_customers') }}

),

transactions as (

    select * from {{ ref('int_approved_transactions') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

months as (

    select
        {{ dbt.dateadd('month', integer_spine_value(3), dbt.date_trunc('month', 'as_of.data_start_date')) }}
            as spend_month,
        as_of.as_of_date
    {{ integer_spine(3) }}
    cross join as_of
    where {{ integer_spine_value(3) }}
        <= {{ dbt.datediff('as_of.data_start_date', 'as_of.as_of_date', 'month') }}

),

customer_months as (

    select
        customers.customer_id,
        cast(months.spend_month as date) as spend_month,
        months.as_of_date
    from customers
    inner join months
        on months.spend_month >= {{ dbt.date_trunc('month', 'customers.account_open_date') }}

),

monthly as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as spend_month,
        sum(transaction_amount) as total_spend,
        count(*) as transaction_count
    from transactions
    group by 1, 2

),

final as (

    select
        customer_months.customer_id,
        customer_months.spend_month,
        coalesce(monthly.total_spend, 0) as total_spend,
        coalesce(monthly.transaction_count, 0) as transaction_count,
        {{ dbt.last_day('customer_months.spend_month', 'month') }} <= customer_months.as_of_date
            as is_complete_month
    from customer_months
    left join monthly
        on customer_months.customer_id = monthly.customer_id
        and customer_months.spend_month = monthly.spend_month

)

select * from final
