{#- Grain: one row per customer and calendar month (months without spend included, as zero).
    Month-over-month change of approved spend; alert when the change is at or below the
    mom_alert_threshold_pct var. The as_of month is flagged incomplete. -#}

with

monthly as (

    select * from {{ ref('int_customer_monthly_spend') }}

),

with_previous as (

    select
        customer_id,
        spend_month,
        total_spend,
        transaction_count,
        is_complete_month,
        lag(total_spend) over (partition by customer_id order by spend_month) as previous_month_spend
    from monthly

),

final as (

    select
        customer_id,
        spend_month as month,
        total_spend,
        transaction_count,
        previous_month_spend,
        total_spend - previous_month_spend as spend_change,
        {{ percent_change('total_spend', 'previous_month_spend') }} as mom_spend_change_pct,
        {#- exact decimal comparison: change / previous <= t%  <=>  change * 100 <= t * previous -#}
        coalesce(
            previous_month_spend > 0
            and (total_spend - previous_month_spend) * 100
                <= {{ var('mom_alert_threshold_pct') }} * previous_month_spend,
            false
        ) as is_spend_drop_alert,
        is_complete_month
    from with_previous

)

select * from final
