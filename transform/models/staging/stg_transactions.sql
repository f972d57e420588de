{#- Grain: one row per transaction_id (first landed row wins).
    Incremental: each run adds only rows landed after the last load whose id is not yet here.

    The id is bronze's `_key`: ingest stores every landed row's natural key upper-cased and
    trimmed, so silver does not recompute it on 13.5M rows. The landed rows are inlined as a
    subquery wherever they are read (a CTE read three times would be materialised in memory). -#}

{{
    config(
        materialized='incremental',
        unique_key='transaction_id',
        incremental_strategy=new_rows_incremental_strategy(),
        on_schema_change='fail',
    )
}}

{%- set landed -%}
    select * from {{ source('bronze', 'transactions') }}
    where _key is not null
    {%- if is_incremental() %}
        and _loaded_at > (select max(loaded_at) from {{ this }})
    {%- endif %}
{%- endset %}

with

categories as (

    select * from {{ ref('stg_merchant_categories') }}

),

{#- Landed ids are almost always unique (ingest quarantines repeats): find the few repeated ids
    by grouping a 64-bit hash, which is cheaper than grouping the text, then group only the
    rows whose hash repeats exactly, so a hash collision never merges two ids. -#}
repeated_hashes as (

    select {{ fast_hash('landed._key') }} as id_hash
    from ({{ landed }}) as landed
    group by {{ fast_hash('landed._key') }}
    having count(*) > 1

),

duplicated_ids as (

    select landed._key
    from ({{ landed }}) as landed
    inner join repeated_hashes
        on {{ fast_hash('landed._key') }} = repeated_hashes.id_hash
    group by landed._key
    having count(*) > 1

),

{#- Every landing of a duplicated id after its first, by its lineage (file and line). -#}
later_landings as (

    select
        ranked._source_file,
        ranked._source_row
    from (
        select
            landed._source_file,
            landed._source_row,
            row_number() over (
                partition by landed._key
                order by landed._loaded_at, landed._source_file, landed._source_row
            ) as landed_rank
        from ({{ landed }}) as landed
        inner join duplicated_ids
            on landed._key = duplicated_ids._key
    ) as ranked
    where ranked.landed_rank > 1

),

standardised as (

    select
        landed._key as transaction_id,
        upper(trim(landed.customer_id)) as customer_id,
        {{ dbt.safe_cast('landed.transaction_ts', dbt.type_timestamp()) }} as transaction_ts,
        cast({{ dbt.safe_cast('landed.amount', 'decimal(18, 2)') }} as decimal(18, 2))
            as transaction_amount,
        trim(landed.merchant_name) as merchant_name,
        categories.merchant_category_key,
        {{ standard_channel('landed.channel') }} as channel,
        lower(trim(landed.status)) as status,
        landed._source_file as source_file,
        landed._source_row as source_row,
        cast(landed._loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from ({{ landed }}) as landed
    left join categories
        on {{ category_lookup_name('landed.merchant_category') }} = categories.category_lookup_name
    where not exists (
        select 1
        from later_landings
        where later_landings._source_file = landed._source_file
            and later_landings._source_row = landed._source_row
    )

),

final as (

    select
        standardised.transaction_id,
        standardised.customer_id,
        standardised.transaction_ts,
        cast(standardised.transaction_ts as date) as transaction_date,
        standardised.transaction_amount,
        standardised.merchant_name,
        standardised.merchant_category_key,
        standardised.channel,
        standardised.status,
        standardised.status = 'approved' as is_approved,
        standardised.source_file,
        standardised.source_row,
        standardised.loaded_at
    from standardised
    {%- if is_incremental() %}
    left join {{ this }} as already_loaded
        on standardised.transaction_id = already_loaded.transaction_id
    where already_loaded.transaction_id is null
    {%- endif %}

)

select * from final
