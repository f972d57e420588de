{#- Calibration (SPEC §2): each segment's share of customers lies within segment_share_bounds.
    Enforced (error) from segment_share_min_customers customers; see warn_segment_shares_*. -#}

{{ segment_share_violations(var('segment_share_min_customers')) }}
