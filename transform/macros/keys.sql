{#- A stable surrogate key: md5 over the '|'-joined text of the given expressions.
    Same inputs give the same key on every engine and every run (no row numbers). -#}
{% macro hash_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~null~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#- Integer yyyymmdd key of a date, shared by dim_date and the facts. -#}
{% macro date_key(date_expression) -%}
    cast(
        extract(year from {{ date_expression }}) * 10000
        + extract(month from {{ date_expression }}) * 100
        + extract(day from {{ date_expression }})
        as integer
    )
{%- endmacro %}


{#- A stable numeric surrogate key: a 64-bit hash of the same '|'-joined text as hash_key, as a
    non-negative BIGINT. Same inputs give the same key on every run of an engine; a number is far
    cheaper to store, join and test than 32 characters of md5 on the 13.5M-row facts. Collisions
    are possible in principle (~1e-10 at 60k versions), so every key stays under a `unique` test. -#}
{% macro numeric_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '~null~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('numeric_key', 'customer360')(dbt.concat(parts))) }}
{%- endmacro %}

{#- Elsewhere (Postgres-like engines): the first 60 bits of the md5 hex as a bigint. -#}
{% macro default__numeric_key(text_expression) -%}
    cast(cast(('x' || substr({{ dbt.hash(text_expression) }}, 1, 15)) as bit(60)) as bigint)
{%- endmacro %}

{#- DuckDB's hash is an unsigned 64-bit integer: drop one bit so it fits a signed BIGINT. -#}
{% macro duckdb__numeric_key(text_expression) -%}
    cast(hash({{ text_expression }}) >> 1 as bigint)
{%- endmacro %}

{#- Snowflake's hash already returns a signed 64-bit NUMBER(19); fakesnow's is DuckDB's unsigned
    one, so under the emulator it drops a bit as on DuckDB. -#}
{% macro snowflake__numeric_key(text_expression) -%}
    {%- if is_fakesnow() -%}
        cast(bitshiftright(hash({{ text_expression }}), 1) as bigint)
    {%- else -%}
        hash({{ text_expression }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__numeric_key(text_expression) -%}
    xxhash64({{ text_expression }})
{%- endmacro %}
