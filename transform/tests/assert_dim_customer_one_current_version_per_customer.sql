{#- SCD2 integrity: every customer has exactly one current version, and it is the latest. -#}

with

versions as (

    select * from {{ ref('dim_customer') }}

),

per_customer as (

    select
        customer_id,
        sum(case when is_current then 1 else 0 end) as current_versions,
        max(version_number) as latest_version,
        max(case when is_current then version_number end) as current_version
    from versions
    group by customer_id

),

final as (

    select *
    from per_customer
    where current_versions <> 1
        or current_version <> latest_version

)

select * from final
