{#- Grain: one row per transaction_id (first landed row wins).
    Incremental: each run adds only rows landed after the last load whose id is not yet here. -#}

{{
    config(
        materialized='incremental',
        unique_key='transaction_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

source as (

    select * from {{ source('bronze', 'transactions') }}
    where transaction_id is not null
    {%- if is_incremental() %}
        and _loaded_at > (select max(loaded_at) from {{ this }})
    {%- endif %}

),

categories as (

    select * from {{ ref('stg_merchant_categories') }}

),

standardised as (

    select
        upper(trim(source.transaction_id)) as transaction_id,
        upper(trim(source.customer_id)) as customer_id,
        {{ dbt.safe_cast('source.transaction_ts', dbt.type_timestamp()) }} as transaction_ts,
        cast({{ dbt.safe_cast('source.amount', 'decimal(18, 2)') }} as decimal(18, 2))
            as transaction_amount,
        trim(source.merchant_name) as merchant_name,
        categories.merchant_category_key,
        {{ standard_channel('source.channel') }} as channel,
        lower(trim(source.status)) as status,
        source._source_row as source_row,
        source._source_file as source_file,
        source._loaded_at as loaded_at
    from source
    left join categories
        on {{ category_lookup_name('source.merchant_category') }} = categories.category_lookup_name

),

{#- Landed ids are almost always unique: rank only the few duplicated ids instead of all rows.
    Grouping every row by a 64-bit hash is cheaper than grouping by the id text; the ids whose
    hash repeats are then grouped exactly, so a hash collision never merges two ids. -#}
repeated_hashes as (

    select {{ fast_hash('transaction_id') }} as id_hash
    from standardised
    group by {{ fast_hash('transaction_id') }}
    having count(*) > 1

),

duplicated_ids as (

    select standardised.transaction_id
    from standardised
    inner join repeated_hashes
        on {{ fast_hash('standardised.transaction_id') }} = repeated_hashes.id_hash
    group by standardised.transaction_id
    having count(*) > 1

),

first_landed_duplicates as (

    select *
    from (
        select
            standardised.*,
            row_number() over (
                partition by standardised.transaction_id
                order by standardised.loaded_at, standardised.source_file, standardised.source_row
            ) as landed_rank
        from standardised
        inner join duplicated_ids
            on standardised.transaction_id = duplicated_ids.transaction_id
    ) as ranked
    where landed_rank = 1

),

deduplicated as (

    select standardised.*
    from standardised
    left join duplicated_ids
        on standardised.transaction_id = duplicated_ids.transaction_id
    where duplicated_ids.transaction_id is null

    union all

    select
        transaction_id,
        customer_id,
        transaction_ts,
        transaction_amount,
        merchant_name,
        merchant_category_key,
        channel,
        status,
        source_row,
        source_file,
        loaded_at
    from first_landed_duplicates

),

final as (

    select
        deduplicated.transaction_id,
        deduplicated.customer_id,
        deduplicated.transaction_ts,
        cast(deduplicated.transaction_ts as date) as transaction_date,
        deduplicated.transaction_amount,
        deduplicated.merchant_name,
        deduplicated.merchant_category_key,
        deduplicated.channel,
        deduplicated.status,
        deduplicated.status = 'approved' as is_approved,
        deduplicated.source_file,
        deduplicated.source_row,
        deduplicated.loaded_at
    from deduplicated
    {%- if is_incremental() %}
    left join {{ this }} as already_loaded
        on deduplicated.transaction_id = already_loaded.transaction_id
    where already_loaded.transaction_id is null
    {%- endif %}

)

select * from final
