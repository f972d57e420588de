{#- Grain: one row per scored customer. The ML stage writes gold.churn_predictions after the
    first transform, so this view reads it when it exists and is empty (same columns) otherwise.
    Rebuild this view and customer_360_profile after scoring to publish fresh scores. -#}

{{ config(materialized='view') }}

with

predictions as (

    {{ optional_relation(source('ml', 'churn_predictions'), {
        'customer_id': dbt.type_string(),
        'churn_probability': type_double(),
        'churn_risk_score': type_double(),
        'model_version': dbt.type_string(),
        'scored_at': dbt.type_timestamp(),
        'reason_1': dbt.type_string(),
        'reason_2': dbt.type_string(),
        'reason_3': dbt.type_string(),
    }) }}

),

final as (

    select
        upper(trim(customer_id)) as customer_id,
        churn_probability,
        churn_risk_score,
        model_version,
        scored_at,
        reason_1,
        reason_2,
        reason_3
    from predictions

)

select * from final
