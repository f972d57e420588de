{#- Canonical values for free-text codes that may land with stray whitespace or mixed case. -#}

{% macro standard_card_type(expression) -%}
    case lower(trim({{ expression }}))
        when 'standard' then 'Standard'
        when 'premium' then 'Premium'
        when 'platinum' then 'Platinum'
    end
{%- endmacro %}

{% macro standard_channel(expression) -%}
    case replace(replace(lower(trim({{ expression }})), ' ', ''), '-', '')
        when 'online' then 'Online'
        when 'instore' then 'In-Store'
        when 'mobile' then 'Mobile'
    end
{%- endmacro %}

{#- The join key of a merchant category name: case and whitespace insensitive. -#}
{% macro category_lookup_name(expression) -%}
    lower(trim({{ expression }}))
{%- endmacro %}
