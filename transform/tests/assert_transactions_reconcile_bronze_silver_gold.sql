{#- Row counts reconcile: distinct landed transaction ids = silver rows = fact rows.
    bronze._key is the landed id as ingest standardised it (upper-cased, trimmed). -#}

with

bronze as (

    select count(distinct _key) as row_count
    from {{ source('bronze', 'transactions') }}
    where _key is not null

),

silver as (

    select count(*) as row_count from {{ ref('stg_transactions') }}

),

gold as (

    select count(*) as row_count from {{ ref('fct_transactions') }}

),

final as (

    select
        bronze.row_count as bronze_rows,
        silver.row_count as silver_rows,
        gold.row_count as gold_rows
    from bronze
    cross join silver
    cross join gold
    where bronze.row_count <> silver.row_count
        or silver.row_count <> gold.row_count

)

select * from final
