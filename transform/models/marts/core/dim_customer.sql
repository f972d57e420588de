{#- Grain: one row per customer version (SCD Type 2 on card_type and credit_limit; type 1 on
    email and city). customer_key = hash(customer_id, valid_from); valid_to is exclusive.
    card_change / limit_change compare each version with the customer's previous one. -#}

{%- set card_order = var('card_type_order') %}

with

versions as (

    select * from {{ ref('int_customer_versions') }}

),

ranked as (

    select
        *,
        case card_type
            {%- for card in card_order %}
            when '{{ card }}' then {{ loop.index }}
            {%- endfor %}
        end as card_rank,
        lag(card_type) over (partition by customer_id order by version_number) as previous_card_type,
        lag(credit_limit) over (partition by customer_id order by version_number) as previous_credit_limit
    from versions

),

changes as (

    select
        *,
        lag(card_rank) over (partition by customer_id order by version_number) as previous_card_rank
    from ranked

),

final as (

    select
        customer_key,
        customer_id,
        version_number,
        valid_from,
        valid_to,
        is_current,
        change_reason,
        card_type,
        credit_limit,
        previous_card_type,
        previous_credit_limit,
        case
            when previous_card_rank is null then 'Opened'
            when card_rank > previous_card_rank then 'Upgrade'
            when card_rank < previous_card_rank then 'Downgrade'
            else 'No Change'
        end as card_change,
        case
            when previous_credit_limit is null then 'Opened'
            when credit_limit > previous_credit_limit then 'Increase'
            when credit_limit < previous_credit_limit then 'Decrease'
            else 'No Change'
        end as limit_change,
        first_name,
        last_name,
        {{ dbt.concat(['first_name', "' '", 'last_name']) }} as full_name,
        email,
        age,
        state,
        city,
        employment_status,
        account_open_date
    from changes

)

select * from final
