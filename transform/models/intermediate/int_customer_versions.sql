{#- Grain: one row per customer version (customer_id, valid_from).
    SCD Type 2 history rebuilt from the landed changes: a new version starts on every date a
    card_type or credit_limit change takes effect (changes on the same day collapse into one
    version; a change that alters nothing makes no version). email and city are type 1: every
    version carries the latest value. valid_to is the next version's valid_from (exclusive);
    the current version ends on 9999-12-31. -#}

with

customers as (

    select * from {{ ref('stg_customers') }}

),

changes as (

    select * from {{ ref('stg_customer_changes') }}

),

as_of as (

    select * from {{ ref('int_as_of') }}

),

known_changes as (

    select
        changes.change_id,
        changes.customer_id,
        changes.attribute,
        changes.new_value,
        changes.scd_type,
        {#- a change dated before the account opened applies from the opening -#}
        greatest(changes.effective_date, customers.account_open_date) as effective_date
    from changes
    inner join customers
        on changes.customer_id = customers.customer_id
    cross join as_of
    where changes.effective_date <= as_of.as_of_date
        and changes.new_value is not null

),

type_2_events as (

    select
        customer_id,
        account_open_date as event_date,
        0 as event_order,
        cast(null as {{ dbt.type_string() }}) as change_id,
        card_type,
        credit_limit,
        'account_opened' as change_reason
    from customers

    union all

    select
        customer_id,
        effective_date as event_date,
        1 as event_order,
        change_id,
        case when attribute = 'card_type' then new_value end as card_type,
        case
            when attribute = 'credit_limit' then cast(new_value as decimal(18, 2))
        end as credit_limit,
        attribute as change_reason
    from known_changes
    where scd_type = 2

),

{#- carry the last known value forward: a running count of non-null values numbers the groups -#}
event_groups as (

    select
        *,
        count(card_type) over (
            partition by customer_id
            order by event_date, event_order, change_id
            rows between unbounded preceding and current row
        ) as card_type_group,
        count(credit_limit) over (
            partition by customer_id
            order by event_date, event_order, change_id
            rows between unbounded preceding and current row
        ) as credit_limit_group,
        row_number() over (
            partition by customer_id, event_date
            order by event_order desc, change_id desc
        ) as rank_in_day
    from type_2_events

),

states as (

    select
        customer_id,
        event_date,
        rank_in_day,
        change_reason,
        max(card_type) over (
            partition by customer_id, card_type_group
        ) as card_type,
        max(credit_limit) over (
            partition by customer_id, credit_limit_group
        ) as credit_limit
    from event_groups

),

day_reasons as (

    select
        customer_id,
        event_date,
        {{ sorted_distinct_list('change_reason', "','") }} as change_reasons
    from type_2_events
    group by customer_id, event_date

),

day_states as (

    select
        states.customer_id,
        states.event_date as valid_from,
        states.card_type,
        states.credit_limit,
        day_reasons.change_reasons,
        lag(states.card_type) over (
            partition by states.customer_id order by states.event_date
        ) as previous_card_type,
        lag(states.credit_limit) over (
            partition by states.customer_id order by states.event_date
        ) as previous_credit_limit,
        row_number() over (
            partition by states.customer_id order by states.event_date
        ) as day_number
    from states
    inner join day_reasons
        on states.customer_id = day_reasons.customer_id
        and states.event_date = day_reasons.event_date
    where states.rank_in_day = 1

),

versions as (

    select
        customer_id,
        valid_from,
        card_type,
        credit_limit,
        case when day_number = 1 then 'account_opened' else change_reasons end as change_reason
    from day_states
    where day_number = 1
        or card_type is distinct from previous_card_type
        or credit_limit is distinct from previous_credit_limit

),

latest_type_1 as (

    select
        customer_id,
        attribute,
        new_value,
        row_number() over (
            partition by customer_id, attribute
            order by effective_date desc, change_id desc
        ) as recency_rank
    from known_changes
    where scd_type = 1

),

type_1_current as (

    select
        customer_id,
        max(case when attribute = 'email' then new_value end) as email,
        max(case when attribute = 'city' then new_value end) as city
    from latest_type_1
    where recency_rank = 1
    group by customer_id

),

final as (

    select
        {{ numeric_key(['versions.customer_id', 'versions.valid_from']) }} as customer_key,
        versions.customer_id,
        row_number() over (
            partition by versions.customer_id order by versions.valid_from
        ) as version_number,
        versions.valid_from,
        coalesce(
            lead(versions.valid_from) over (
                partition by versions.customer_id order by versions.valid_from
            ),
            cast('9999-12-31' as date)
        ) as valid_to,
        lead(versions.valid_from) over (
            partition by versions.customer_id order by versions.valid_from
        ) is null as is_current,
        versions.change_reason,
        versions.card_type,
        versions.credit_limit,
        customers.first_name,
        customers.last_name,
        coalesce(type_1_current.email, customers.email) as email,
        customers.age,
        customers.state,
        coalesce(type_1_current.city, customers.city) as city,
        customers.employment_status,
        customers.account_open_date
    from versions
    inner join customers
        on versions.customer_id = customers.customer_id
    left join type_1_current
        on versions.customer_id = type_1_current.customer_id

)

select * from final
