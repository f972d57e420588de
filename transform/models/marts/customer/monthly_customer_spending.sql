{#- Grain: one row per customer and calendar month with at least one approved transaction.
    card_type and credit_limit are the customer version valid at the month's end (point in time);
    customer_segment is the current segment (segments are computed at as_of). -#}

with

monthly as (

    select * from {{ ref('int_customer_monthly_spend') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

active_months as (

    select
        *,
        {{ dbt.last_day('spend_month', 'month') }} as month_end
    from monthly
    where transaction_count > 0

),

final as (

    select
        active_months.customer_id,
        active_months.spend_month as month,
        active_months.total_spend,
        active_months.transaction_count,
        cast(active_months.total_spend as {{ type_double() }}) / active_months.transaction_count
            as avg_transaction_value,
        active_months.is_complete_month,
        segments.customer_segment,
        customers.customer_key,
        customers.card_type,
        customers.credit_limit,
        customers.state
    from active_months
    left join customers
        on active_months.customer_id = customers.customer_id
        and active_months.month_end < customers.valid_to
        and (active_months.month_end >= customers.valid_from or customers.version_number = 1)
    left join segments
        on active_months.customer_id = segments.customer_id

)

select * from final
