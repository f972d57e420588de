{#- Engine-specific SQL lives only here, behind adapter dispatch. -#}

{#- The exact median of a money column (decimal with 2 places), truncated to the cent: an even
    count's midpoint of x.xx5 becomes x.xx. That is DuckDB's median of a decimal, the reference
    every engine matches (docs/scale-out.md#medians-and-money). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'customer360')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    cast(trunc(median({{ expression }}), 2) as decimal(18, 2))
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{#- percentile_approx is wrong for half the customers; `percentile` is exact but returns a double,
    so it runs on whole cents, where every midpoint (n or n + 0.5) is exact in a double. -#}
{% macro spark__median(expression) -%}
    cast(
        cast(floor(percentile(cast({{ expression }} * 100 as bigint), 0.5)) as decimal(18, 0)) / 100
        as decimal(18, 2)
    )
{%- endmacro %}


{#- The distinct values of an expression joined by a delimiter, in ascending order. -#}
{% macro sorted_distinct_list(expression, delimiter) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'customer360')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_distinct_list(expression, delimiter) -%}
    {{ dbt.listagg('distinct ' ~ expression, delimiter, 'order by ' ~ expression) }}
{%- endmacro %}

{% macro spark__sorted_distinct_list(expression, delimiter) -%}
    array_join(array_sort(collect_set({{ expression }})), {{ delimiter }})
{%- endmacro %}


{#- ISO day of week: Monday = 1 … Sunday = 7. -#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'customer360')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    extract(isodow from {{ date_expression }})
{%- endmacro %}

{% macro snowflake__iso_day_of_week(date_expression) -%}
    dayofweekiso({{ date_expression }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    ((dayofweek({{ date_expression }}) + 5) % 7 + 1)
{%- endmacro %}


{#- A cheap 64-bit hash of a value, for narrowing candidates before an exact comparison (never a
    key: collisions are possible). DuckDB, Snowflake and Spark have a native `hash`; elsewhere
    fall back to dbt's md5 text. -#}
{% macro fast_hash(expression) -%}
    {{ return(adapter.dispatch('fast_hash', 'customer360')(expression)) }}
{%- endmacro %}

{% macro default__fast_hash(expression) -%}
    {{ dbt.hash(expression) }}
{%- endmacro %}

{% macro duckdb__fast_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro snowflake__fast_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__fast_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}
