{#- Transactions reconcile bronze → silver → gold, landing file by landing file.

    Every landed row is in silver (matched by its lineage: file and line) or repeats an id that
    silver keeps; no file has more silver rows than landed rows; the fact has silver's row count.
    With unique(stg_transactions.transaction_id) that proves silver rows = distinct landed ids.
    Files whose landed and silver counts agree need no row-level look (the usual case), so the
    test costs two per-file counts instead of grouping every landed id. The tables are named
    where they are read, not through shared CTEs, which DuckDB would materialise. -#}

{#- Reported as a check on fct_transactions (dagster-dbt). -#}
{{ config(meta={'dagster': {'ref': {'name': 'fct_transactions'}}}) }}

{%- set landed = source('bronze', 'transactions') %}
{%- set silver = ref('stg_transactions') %}

with

files as (

    select
        coalesce(landed_counts.source_file, silver_counts.source_file) as source_file,
        coalesce(landed_counts.row_count, 0) as landed_rows,
        coalesce(silver_counts.row_count, 0) as silver_rows
    from (
        select _source_file as source_file, count(*) as row_count
        from {{ landed }}
        where _key is not null
        group by _source_file
    ) as landed_counts
    full outer join (
        select source_file, count(*) as row_count
        from {{ silver }}
        group by source_file
    ) as silver_counts
        on landed_counts.source_file = silver_counts.source_file

),

short_files as (

    select source_file from files where silver_rows < landed_rows

),

{#- landed rows of short files that silver did not keep (silver is narrowed to the short files
    too, so the anti-join never builds on all of silver) -#}
dropped as (

    select
        landed._source_file as source_file,
        landed._key as transaction_id
    from {{ landed }} as landed
    where landed._key is not null
        and landed._source_file in (select source_file from short_files)
        and not exists (
            select 1
            from {{ silver }} as kept
            where kept.source_file in (select source_file from short_files)
                and kept.source_file = landed._source_file
                and kept.source_row = landed._source_row
        )

),

lost as (

    select
        dropped.source_file,
        'landed id missing from silver' as problem,
        count(*) as row_count
    from dropped
    where not exists (
        select 1
        from {{ silver }} as kept
        where kept.transaction_id = dropped.transaction_id
    )
    group by dropped.source_file

),

problems as (

    select
        files.source_file,
        'more silver rows than landed rows' as problem,
        files.silver_rows - files.landed_rows as row_count
    from files
    where files.silver_rows > files.landed_rows

    union all

    select * from lost

    union all

    select
        cast(null as {{ dbt.type_string() }}) as source_file,
        'fact rows differ from silver rows' as problem,
        gold.row_count - silver_total.row_count as row_count
    from (select count(*) as row_count from {{ ref('fct_transactions') }}) as gold
    cross join (select count(*) as row_count from {{ silver }}) as silver_total
    where gold.row_count <> silver_total.row_count

)

select * from problems
