{#- Money reconciles: approved fact spend up to as_of = total lifetime value in the profile
    = total of monthly_customer_spending (approved only everywhere, no double counting). -#}

{#- Reported as a check on customer_360_profile (dagster-dbt). -#}
{{ config(meta={'dagster': {'ref': {'name': 'customer_360_profile'}}}) }}

with

as_of as (

    select * from {{ ref('int_as_of') }}

),

totals as (

    select
        (
            select coalesce(sum(facts.transaction_amount), 0)
            from {{ ref('fct_transactions') }} as facts
            cross join as_of
            where facts.status = 'approved'
                and facts.transaction_date <= as_of.as_of_date
        ) as fact_spend,
        (select coalesce(sum(lifetime_value), 0) from {{ ref('customer_360_profile') }}) as profile_spend,
        (select coalesce(sum(total_spend), 0) from {{ ref('monthly_customer_spending') }}) as monthly_spend

),

final as (

    select *
    from totals
    where fact_spend <> profile_spend
        or fact_spend <> monthly_spend

)

select * from final
