{#- Grain: one row per calendar day, from the earliest date in the data (account openings,
    changes, transactions) through the later of as_of and the last transaction date. -#}

with

as_of as (

    select * from {{ ref('int_as_of') }}

),

days as (

    select
        cast({{ dbt.dateadd('day', integer_spine_value(5), 'as_of.calendar_start_date') }} as date)
            as date_day
    {{ integer_spine(5) }}
    cross join as_of
    where {{ integer_spine_value(5) }}
        <= {{ dbt.datediff('as_of.calendar_start_date', 'as_of.calendar_end_date', 'day') }}

),

final as (

    select
        {{ date_key('date_day') }} as date_key,
        date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        case cast(extract(month from date_day) as integer)
            when 1 then 'January'
            when 2 then 'February'
            when 3 then 'March'
            when 4 then 'April'
            when 5 then 'May'
            when 6 then 'June'
            when 7 then 'July'
            when 8 then 'August'
            when 9 then 'September'
            when 10 then 'October'
            when 11 then 'November'
            when 12 then 'December'
        end as month_name,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date,
        cast(extract(day from date_day) as integer) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as integer) as iso_day_of_week,
        case cast({{ iso_day_of_week('date_day') }} as integer)
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as day_name,
        cast({{ iso_day_of_week('date_day') }} as integer) >= 6 as is_weekend
    from days

)

select * from final
