{#- The as_of var as a SQL date literal, or null when unset (resolved in int_as_of). -#}
{% macro as_of_var() -%}
    {%- set value = var('as_of', none) -%}
    {%- if value is none or value | string | trim in ('', 'none', 'None', 'null') -%}
        cast(null as date)
    {%- else -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}
