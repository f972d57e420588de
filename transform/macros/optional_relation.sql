{#- Select the given columns from a relation written outside dbt (e.g. by the ML stage) when it
    exists, else an empty result with the same columns, so marts build before the first score.
    Columns the relation lacks come out null. `columns` maps column name -> type expression. -#}
{% macro optional_relation(relation, columns) -%}
    {%- set found = none -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- set found = adapter.get_relation(
            database=relation.database,
            schema=relation.schema,
            identifier=relation.identifier,
        ) -%}
        {%- if found is not none -%}
            {%- for column in adapter.get_columns_in_relation(found) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    select
        {%- for name, type in columns.items() %}
        cast({{ name if name in present else 'null' }} as {{ type }}) as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    {%- if found is not none %}
    from {{ found }}
    {%- else %}
    where 1 = 0
    {%- endif %}
{%- endmacro %}
