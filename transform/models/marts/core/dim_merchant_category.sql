{#- Grain: one row per merchant category. merchant_category_key = hash of the case-folded name,
    so keys survive reordering and additions to the reference list. -#}

with

categories as (

    select * from {{ ref('stg_merchant_categories') }}

),

final as (

    select
        merchant_category_key,
        category_name,
        category_group,
        mcc,
        spending_type,
        discretionary_flag
    from categories

)

select * from final
