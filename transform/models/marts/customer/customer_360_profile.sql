{#- Grain: one row per current customer, including customers with no transactions (every join
    is a left join from the current dim_customer version). Column names are the public contract
    of SPEC §3; metrics use approved transactions at as_of. -#}

with

customers as (

    select * from {{ ref('dim_customer') }}
    where is_current

),

spend as (

    select * from {{ ref('int_customer_spend') }}

),

segments as (

    select * from {{ ref('customer_segments') }}

),

ltv as (

    select * from {{ ref('metric_customer_ltv') }}

),

transaction_values as (

    select * from {{ ref('metric_avg_transaction_value') }}

),

mom as (

    select * from {{ ref('metric_mom_spend_change') }}

),

predictions as (

    select * from {{ ref('stg_churn_predictions') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

{#- the last complete month is the month before the one containing as_of + 1 day -#}
last_complete_month as (

    select
        mom.customer_id,
        mom.mom_spend_change_pct
    from mom
    cross join as_of
    where mom.month = {{ dbt.dateadd(
        'month', -1, dbt.date_trunc('month', dbt.dateadd('day', 1, 'as_of.as_of_date'))
    ) }}

),

joined as (

    select
        customers.customer_id,
        customers.customer_key,
        customers.first_name,
        customers.last_name,
        customers.full_name,
        customers.email,
        customers.age,
        customers.state,
        customers.city,
        customers.employment_status,
        customers.card_type,
        customers.credit_limit,
        customers.account_open_date,
        spend.account_age_days,
        segments.customer_segment,
        segments.segment_assigned_date,
        spend.tenure_months,
        spend.lifetime_value,
        spend.total_transactions,
        spend.avg_transaction_value,
        spend.median_transaction_value,
        spend.transaction_value_stddev,
        spend.min_transaction_value,
        spend.max_transaction_value,
        transaction_values.spending_consistency,
        spend.spend_last_30_days,
        spend.spend_last_90_days,
        spend.spend_prior_90_days,
        segments.spend_change_pct_90d as spend_change_pct,
        ltv.avg_monthly_spend,
        last_complete_month.mom_spend_change_pct,
        spend.first_transaction_date,
        spend.last_transaction_date,
        {{ dbt.datediff('spend.last_transaction_date', 'as_of.as_of_date', 'day') }}
            as days_since_last_transaction,
        {{ percent_of('spend.travel_spend', 'spend.lifetime_value') }} as travel_spend_pct,
        {{ percent_of('spend.necessities_spend', 'spend.lifetime_value') }} as necessities_spend_pct,
        {{ percent_of('ltv.avg_monthly_spend', 'customers.credit_limit') }} as credit_utilization_pct,
        predictions.churn_risk_score,
        predictions.churn_probability,
        predictions.model_version as churn_model_version,
        predictions.scored_at as churn_scored_at,
        predictions.reason_1 as churn_reason_1,
        predictions.reason_2 as churn_reason_2,
        predictions.reason_3 as churn_reason_3,
        segments.avg_monthly_spend_90d,
        segments.travel_share_pct_90d,
        segments.necessities_share_pct_90d,
        ltv.clv_12m_spend_estimate,
        ltv.clv_12m_value_estimate,
        as_of.as_of_date as profile_updated_date
    from customers
    cross join as_of
    left join spend
        on customers.customer_id = spend.customer_id
    left join segments
        on customers.customer_id = segments.customer_id
    left join ltv
        on customers.customer_id = ltv.customer_id
    left join transaction_values
        on customers.customer_id = transaction_values.customer_id
    left join last_complete_month
        on customers.customer_id = last_complete_month.customer_id
    left join predictions
        on customers.customer_id = predictions.customer_id

),

final as (

    select
        *,
        case
            when days_since_last_transaction <= 30 then 'Active (30 days)'
            when days_since_last_transaction <= 60 then 'Recent (60 days)'
            when days_since_last_transaction <= 90 then 'At Risk (90 days)'
            else 'Inactive (90+ days)'
        end as recency_status,
        case
            when travel_spend_pct >= {{ var('spending_profile_travel_min_pct') }} then 'Travel-Focused'
            when necessities_spend_pct >= {{ var('spending_profile_necessities_min_pct') }}
                then 'Necessity-Focused'
            else 'Balanced'
        end as spending_profile,
        case
            when churn_risk_score is null then 'Not Scored'
            when churn_risk_score >= 70 then 'High Risk'
            when churn_risk_score >= 40 then 'Medium Risk'
            else 'Low Risk'
        end as churn_risk_category,
        coalesce(customer_segment = 'Declining' or churn_risk_score >= 70, false)
            as eligible_for_retention_campaign,
        coalesce(customer_segment = 'New & Growing', false) as eligible_for_onboarding_campaign,
        coalesce(customer_segment = 'High-Value Travelers', false) as eligible_for_premium_campaign
    from joined

)

select * from final
