{#- Grain: one row per change_id (first landed row wins). new_value standardised per attribute. -#}

with

source as (

    select * from {{ source('bronze', 'customer_changes') }}

),

standardised as (

    select
        upper(trim(change_id)) as change_id,
        upper(trim(customer_id)) as customer_id,
        {{ dbt.safe_cast('effective_date', 'date') }} as effective_date,
        lower(trim(attribute)) as attribute,
        case lower(trim(attribute))
            when 'card_type' then {{ standard_card_type('new_value') }}
            when 'credit_limit' then cast(
                cast({{ dbt.safe_cast('trim(new_value)', 'decimal(18, 2)') }} as decimal(18, 2))
                as {{ dbt.type_string() }}
            )
            when 'email' then lower(trim(new_value))
            else trim(new_value)
        end as new_value,
        _batch as source_batch,
        _source_file as source_file,
        _source_row as source_row,
        cast(_loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from source
    where change_id is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by change_id
            order by loaded_at, source_file, source_row
        ) as landed_rank
    from standardised

),

final as (

    select
        change_id,
        customer_id,
        effective_date,
        attribute,
        case when attribute in ('card_type', 'credit_limit') then 2 else 1 end as scd_type,
        new_value,
        source_batch,
        source_file,
        source_row,
        loaded_at
    from ranked
    where landed_rank = 1

)

select * from final
