{#- Segments whose share of customers lies outside the segment_share_bounds var, evaluated only
    when there are at least `min_customers` customers (below that, shares are noise). -#}
{% macro segment_share_violations(min_customers) %}

with

segments as (

    select * from {{ ref('customer_segments') }}

),

bounds as (

    {%- for segment, bound in var('segment_share_bounds').items() %}
    select
        '{{ segment }}' as customer_segment,
        {{ bound[0] }} as min_share_pct,
        {{ bound[1] }} as max_share_pct
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

totals as (

    select count(*) as customers from segments

),

shares as (

    select
        bounds.customer_segment,
        bounds.min_share_pct,
        bounds.max_share_pct,
        totals.customers,
        {{ percent_of('count(segments.customer_id)', 'totals.customers') }} as share_pct
    from bounds
    cross join totals
    left join segments
        on bounds.customer_segment = segments.customer_segment
    group by 1, 2, 3, 4

),

final as (

    select *
    from shares
    where customers >= {{ min_customers }}
        and (share_pct < min_share_pct or share_pct > max_share_pct)

)

select * from final

{% endmacro %}
