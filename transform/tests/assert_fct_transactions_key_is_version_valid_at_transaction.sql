{#- Point in time: each fact's customer_key is the customer's version valid on the transaction
    date (the first version for anything dated before opening), never simply the current one. -#}

{#- Reported as a check on fct_transactions (dagster-dbt). -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_transactions'}}}) }}

with

facts as (

    select * from {{ ref('fct_transactions') }}

),

versions as (

    select * from {{ ref('dim_customer') }}

),

final as (

    select
        facts.transaction_id,
        facts.transaction_date,
        facts.customer_key,
        versions.customer_id as version_customer_id,
        versions.valid_from,
        versions.valid_to
    from facts
    left join versions
        on facts.customer_key = versions.customer_key
    where versions.customer_key is null
        or versions.customer_id <> facts.customer_id
        or facts.transaction_date >= versions.valid_to
        or (facts.transaction_date < versions.valid_from and versions.version_number <> 1)

)

select * from final
