{#- Integers 0 … 10^digits - 1 from cross-joined digits: portable, no generator functions. -#}
{% macro integer_spine(digits=5) -%}
    {%- for position in range(digits) %}
    {{ 'from' if loop.first else 'cross join' }} (
        select 0 as d union all select 1 union all select 2 union all select 3
        union all select 4 union all select 5 union all select 6 union all select 7
        union all select 8 union all select 9
    ) as digit_{{ position }}
    {%- endfor %}
{%- endmacro %}

{% macro integer_spine_value(digits=5) -%}
    {%- for position in range(digits) -%}
        digit_{{ position }}.d * {{ 10 ** position }}{{ ' + ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
