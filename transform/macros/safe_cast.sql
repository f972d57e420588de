{#- dbt's default safe_cast is a plain cast on DuckDB, which raises on bad input.
    Found first through the project's dispatch search order (dbt_project.yml). -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
