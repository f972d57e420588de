{#- Grain: one row per customer. Behavioural segment at as_of (SPEC §4), first matching rule wins.
    Thresholds are the segment vars in dbt_project.yml; docs/warehouse.md explains the rules. -#}

with

spend as (

    select * from {{ ref('int_customer_spend') }}

),

measures as (

    select
        customer_id,
        as_of_date,
        tenure_months,
        has_prior_90_day_window,
        spend_last_30_days,
        spend_prior_30_days,
        spend_last_90_days,
        spend_prior_90_days,
        travel_spend_last_90_days,
        necessities_spend_last_90_days,
        cast(spend_last_90_days as {{ type_double() }}) / 3 as avg_monthly_spend_90d,
        {{ percent_of('travel_spend_last_90_days', 'spend_last_90_days') }} as travel_share_pct_90d,
        {{ percent_of('necessities_spend_last_90_days', 'spend_last_90_days') }}
            as necessities_share_pct_90d,
        {{ percent_change('spend_last_90_days', 'spend_prior_90_days') }} as spend_change_pct_90d,
        {{ percent_change('spend_last_30_days', 'spend_prior_30_days') }} as spend_change_pct_30d
    from spend

),

{#- Rules compare exact decimal amounts cross-multiplied (share >= t%  <=>  part * 100 >= t * whole),
    so a customer exactly on a threshold is classified the same on every engine. -#}
growth as (

    select
        *,
        {#- accounts too young for a prior 90-day window compare the last 30 days with the
            30 before; spending from nothing in the prior window counts as growth -#}
        case
            when has_prior_90_day_window
                then spend_prior_90_days > 0
                    and (spend_last_90_days - spend_prior_90_days) * 100
                        >= {{ var('new_min_spend_change_pct') }} * spend_prior_90_days
            else (
                spend_prior_30_days > 0
                and (spend_last_30_days - spend_prior_30_days) * 100
                    >= {{ var('new_min_spend_change_pct') }} * spend_prior_30_days
            )
            or (spend_prior_30_days = 0 and spend_last_30_days > 0)
        end as is_growing
    from measures

),

classified as (

    select
        *,
        case
            when spend_last_90_days >= 3 * {{ var('hvt_min_avg_monthly_spend') }}
                and spend_last_90_days > 0
                and travel_spend_last_90_days * 100
                    >= {{ var('hvt_min_travel_share_pct') }} * spend_last_90_days
                then 1
            when spend_prior_90_days >= {{ var('declining_min_prior_spend') }}
                and spend_prior_90_days > 0
                and (spend_last_90_days - spend_prior_90_days) * 100
                    <= {{ var('declining_max_spend_change_pct') }} * spend_prior_90_days
                then 2
            when tenure_months <= {{ var('new_max_tenure_months') }}
                and is_growing
                then 3
            when spend_last_90_days < 3 * {{ var('budget_max_avg_monthly_spend') }}
                and spend_last_90_days > 0
                and necessities_spend_last_90_days * 100
                    >= {{ var('budget_min_necessities_share_pct') }} * spend_last_90_days
                then 4
            else 5
        end as segment_rule
    from growth

),

final as (

    select
        customer_id,
        case segment_rule
            when 1 then 'High-Value Travelers'
            when 2 then 'Declining'
            when 3 then 'New & Growing'
            when 4 then 'Budget-Conscious'
            else 'Stable Mid-Spenders'
        end as customer_segment,
        segment_rule,
        as_of_date as segment_assigned_date,
        tenure_months,
        has_prior_90_day_window,
        avg_monthly_spend_90d,
        travel_share_pct_90d,
        necessities_share_pct_90d,
        spend_last_30_days,
        spend_prior_30_days,
        spend_last_90_days,
        spend_prior_90_days,
        spend_change_pct_90d,
        spend_change_pct_30d,
        coalesce(is_growing, false) as is_growing
    from classified

)

select * from final
