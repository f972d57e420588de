{#- Engine-specific SQL lives only here, behind adapter dispatch. -#}

{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'customer360')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile_approx({{ expression }}, 0.5)
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
