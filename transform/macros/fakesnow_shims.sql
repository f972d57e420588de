{#- Gaps of fakesnow (the Snowflake emulator the parity tests run against), shimmed only when
    the dbt target is the one named `fakesnow`: on a real Snowflake account these macros are
    exactly Snowflake's. docs/scale-out.md lists what was verified only against the emulator. -#}

{% macro is_fakesnow() -%}
    {{ return(target.type == 'snowflake' and target.name == 'fakesnow') }}
{%- endmacro %}

{#- fakesnow runs on DuckDB, whose temporary tables live in a catalog of their own that neither a
    qualified name nor `describe table` reaches; dbt's unit tests create and describe theirs
    qualified, so under the emulator they are plain tables (the unit test drops them after). -#}
{% macro snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {%- set statement = dbt.snowflake__create_table_temporary_sql(relation, compiled_code) -%}
    {%- if is_fakesnow() -%}
        {%- set statement = statement | replace(
            'create or replace temporary table', 'create or replace table'
        ) -%}
    {%- endif -%}
    {{ return(statement) }}
{%- endmacro %}
