{#- numerator / denominator × 100, rounded to 4 decimals, null when the denominator is 0.
    Rounding keeps shares of a whole within [0, 100] and makes results equal across engines. -#}
{% macro percent_of(numerator, denominator) -%}
    round(
        100.0 * cast({{ numerator }} as {{ type_double() }})
            / nullif(cast({{ denominator }} as {{ type_double() }}), 0),
        4
    )
{%- endmacro %}

{#- Percent change from `base` to `value`, null when base is 0. -#}
{% macro percent_change(value, base) -%}
    {{ percent_of('(' ~ value ~ ') - (' ~ base ~ ')', base) }}
{%- endmacro %}

{#- A 64-bit float (dbt.type_float() is a 32-bit REAL on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'customer360')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
