{#- The same segment-share bounds at any scale, as a warning: small worlds are too noisy to fail. -#}

{{ config(severity='warn') }}

{{ segment_share_violations(0) }}
