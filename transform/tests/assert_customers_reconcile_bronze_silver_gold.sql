{#- Row counts reconcile: distinct landed customers = silver customers = current dimension rows
    = segment rows = profile rows (no customer dropped by an inner join). -#}

{#- Reported as a check on customer_360_profile (dagster-dbt). -#}
{{ config(meta={'dagster': {'ref': {'name': 'customer_360_profile'}}}) }}

with

counts as (

    select
        (
            select count(distinct upper(trim(customer_id)))
            from {{ source('bronze', 'customers') }}
            where customer_id is not null
        ) as bronze_customers,
        (select count(*) from {{ ref('stg_customers') }}) as silver_customers,
        (select count(*) from {{ ref('dim_customer') }} where is_current) as current_versions,
        (select count(*) from {{ ref('customer_segments') }}) as segment_rows,
        (select count(*) from {{ ref('metric_customer_ltv') }}) as ltv_rows,
        (select count(*) from {{ ref('customer_360_profile') }}) as profile_rows

),

final as (

    select *
    from counts
    where bronze_customers <> silver_customers
        or silver_customers <> current_versions
        or silver_customers <> segment_rows
        or silver_customers <> ltv_rows
        or silver_customers <> profile_rows

)

select * from final
