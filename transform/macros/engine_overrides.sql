{#- Fixes to dbt-spark's versions of dbt's cross-database macros, found first through the
    project's dispatch search order (dbt_project.yml), so every model that calls dbt.datediff or
    dbt.listagg gets the portable meaning. -#}

{#- dbt.datediff counts datepart boundaries crossed (as DuckDB and Snowflake do); dbt-spark's
    month difference goes through months_between and is one short for pairs such as
    2024-01-30 → 2024-02-29. Months are counted from the calendar instead. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'month' -%}
        ((year({{ second_date }}) - year({{ first_date }})) * 12
            + month({{ second_date }}) - month({{ first_date }}))
    {%- else -%}
        {{ return(dbt.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}

{#- dbt-spark's listagg drops an order by clause with a warning; a silently unordered list is
    a wrong answer, so refuse it (sorted_distinct_list covers the sorted case). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause -%}
        {{ exceptions.raise_compiler_error(
            "listagg with an order by is unordered on Spark; use sorted_distinct_list"
        ) }}
    {%- endif -%}
    {{ return(dbt.spark__listagg(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro %}
