{#- Grain: one row per customer. Lifetime value = total approved spend since account open
    (within the loaded history) at as_of, plus a forward 12-month CLV estimate:
    run-rate of the last 90 days annualised x expected retention (x margin for value).
    Ratios of money are doubles on every engine, as DuckDB's decimal division makes them: a decimal
    quotient on Spark or Snowflake would round differently at half cents. -#}

{%- set run_rate = 'cast(spend_last_90_days * 365.0 as ' ~ type_double() ~ ') / 90.0' %}

with

spend as (

    select * from {{ ref('int_customer_spend') }}

),

observed as (

    select
        *,
        {#- months the data can see this customer: first approved transaction to as_of -#}
        case
            when first_transaction_date is null then null
            else cast(
                {{ dbt.datediff('first_transaction_date', 'as_of_date', 'day') }} + 1
                as {{ type_double() }}
            ) / 30.4375
        end as observed_months
    from spend

),

final as (

    select
        customer_id,
        as_of_date,
        account_open_date,
        tenure_months,
        total_transactions,
        first_transaction_date,
        last_transaction_date,
        lifetime_value,
        round(observed_months, 4) as observed_months,
        round(lifetime_value / greatest(coalesce(observed_months, 1.0), 1.0), 2) as avg_monthly_spend,
        spend_last_90_days,
        round({{ run_rate }}, 2) as annualised_spend_run_rate,
        round(
            {{ run_rate }} * {{ var('clv_annual_retention_rate') }}, 2
        ) as clv_12m_spend_estimate,
        round(
            {{ run_rate }} * {{ var('clv_annual_retention_rate') }}
                * {{ var('clv_margin_rate') }},
            2
        ) as clv_12m_value_estimate
    from observed

)

select * from final
