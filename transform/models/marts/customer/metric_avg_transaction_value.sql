{#- Grain: one row per customer. Average approved transaction value with its spread:
    the one-standard-deviation band and a consistency label from the coefficient of variation. -#}

with

spend as (

    select * from {{ ref('int_customer_spend') }}

),

measures as (

    select
        customer_id,
        as_of_date,
        total_transactions,
        avg_transaction_value,
        median_transaction_value,
        transaction_value_stddev,
        min_transaction_value,
        max_transaction_value,
        transaction_value_stddev / nullif(avg_transaction_value, 0) as coefficient_of_variation
    from spend

),

final as (

    select
        *,
        round(
            case
                when avg_transaction_value - transaction_value_stddev < 0 then 0
                else avg_transaction_value - transaction_value_stddev
            end,
            2
        ) as typical_value_low,
        round(avg_transaction_value + transaction_value_stddev, 2) as typical_value_high,
        case
            when total_transactions < 2 or coefficient_of_variation is null then 'Insufficient Data'
            when coefficient_of_variation < {{ var('consistency_cv_consistent') }} then 'Very Consistent'
            when coefficient_of_variation < {{ var('consistency_cv_variable') }} then 'Consistent'
            else 'Highly Variable'
        end as spending_consistency
    from measures

)

select * from final
