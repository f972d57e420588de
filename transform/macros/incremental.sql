{#- How the incremental models write on each engine (config() in stg_transactions and
    fct_transactions calls these at parse time). -#}

{#- stg_transactions selects only ids it does not hold yet, so appending them is enough; the
    delete of delete+insert is a no-op kept where it exists. Spark without Delta or Iceberg (no
    merge) has neither delete+insert nor merge, only append. -#}
{% macro new_rows_incremental_strategy() -%}
    {{ return(adapter.dispatch('new_rows_incremental_strategy', 'customer360')()) }}
{%- endmacro %}

{% macro default__new_rows_incremental_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__new_rows_incremental_strategy() -%}
    {{ return('append') }}
{%- endmacro %}

{#- fct_transactions re-keys rows already written (a late SCD2 change moves old transactions to
    a new customer version), which needs a keyed replace. Spark's plain Parquet tables have none,
    so there the fact is rebuilt whole on every run. -#}
{% macro rekeyed_fact_materialization() -%}
    {{ return(adapter.dispatch('rekeyed_fact_materialization', 'customer360')()) }}
{%- endmacro %}

{% macro default__rekeyed_fact_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__rekeyed_fact_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
