{#- Grain: one row per customer (every customer, with zeros when they have no transactions).
    Approved spend at as_of: lifetime statistics and the fixed windows the segment rules and the
    profile use. Window "last N days" = (as_of - N, as_of]; "prior 90 days" = (as_of - 180, as_of - 90].
    days_before_as_of is 0 on the as_of date itself. -#}

with

customers as (

    select * from {{ ref('stg_customers') }}

),

approved as (

    select * from {{ ref('int_approved_transactions') }}

),

categories as (

    select * from {{ ref('stg_merchant_categories') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

transactions as (

    select
        approved.*,
        categories.category_group
    from approved
    left join categories
        on approved.merchant_category_key = categories.merchant_category_key

),

per_customer as (

    select
        customer_id,
        sum(transaction_amount) as lifetime_value,
        count(*) as total_transactions,
        avg(transaction_amount) as avg_transaction_value,
        {{ median('transaction_amount') }} as median_transaction_value,
        stddev_samp(transaction_amount) as transaction_value_stddev,
        min(transaction_amount) as min_transaction_value,
        max(transaction_amount) as max_transaction_value,
        min(transaction_date) as first_transaction_date,
        max(transaction_date) as last_transaction_date,
        sum(case when days_before_as_of < 30 then transaction_amount else 0 end) as spend_last_30_days,
        sum(
            case when days_before_as_of >= 30 and days_before_as_of < 60 then transaction_amount else 0 end
        ) as spend_prior_30_days,
        sum(case when days_before_as_of < 90 then transaction_amount else 0 end) as spend_last_90_days,
        sum(
            case when days_before_as_of >= 90 and days_before_as_of < 180 then transaction_amount else 0 end
        ) as spend_prior_90_days,
        count(case when days_before_as_of < 90 then transaction_id end) as transactions_last_90_days,
        sum(
            case when days_before_as_of < 90 and category_group = 'Travel' then transaction_amount else 0 end
        ) as travel_spend_last_90_days,
        sum(
            case when days_before_as_of < 90 and category_group = 'Necessities' then transaction_amount else 0 end
        ) as necessities_spend_last_90_days,
        sum(case when category_group = 'Travel' then transaction_amount else 0 end) as travel_spend,
        sum(case when category_group = 'Necessities' then transaction_amount else 0 end) as necessities_spend
    from transactions
    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.account_open_date,
        as_of.as_of_date,
        {{ dbt.datediff('customers.account_open_date', 'as_of.as_of_date', 'day') }} as account_age_days,
        {{ dbt.datediff('customers.account_open_date', 'as_of.as_of_date', 'month') }}
            - case
                when extract(day from as_of.as_of_date) < extract(day from customers.account_open_date)
                    then 1
                else 0
            end as tenure_months,
        customers.account_open_date <= {{ dbt.dateadd('day', -179, 'as_of.as_of_date') }}
            as has_prior_90_day_window,
        coalesce(per_customer.lifetime_value, 0) as lifetime_value,
        coalesce(per_customer.total_transactions, 0) as total_transactions,
        per_customer.avg_transaction_value,
        per_customer.median_transaction_value,
        per_customer.transaction_value_stddev,
        per_customer.min_transaction_value,
        per_customer.max_transaction_value,
        per_customer.first_transaction_date,
        per_customer.last_transaction_date,
        coalesce(per_customer.spend_last_30_days, 0) as spend_last_30_days,
        coalesce(per_customer.spend_prior_30_days, 0) as spend_prior_30_days,
        coalesce(per_customer.spend_last_90_days, 0) as spend_last_90_days,
        coalesce(per_customer.spend_prior_90_days, 0) as spend_prior_90_days,
        coalesce(per_customer.transactions_last_90_days, 0) as transactions_last_90_days,
        coalesce(per_customer.travel_spend_last_90_days, 0) as travel_spend_last_90_days,
        coalesce(per_customer.necessities_spend_last_90_days, 0) as necessities_spend_last_90_days,
        coalesce(per_customer.travel_spend, 0) as travel_spend,
        coalesce(per_customer.necessities_spend, 0) as necessities_spend
    from customers
    cross join as_of
    left join per_customer
        on customers.customer_id = per_customer.customer_id

)

select * from final
