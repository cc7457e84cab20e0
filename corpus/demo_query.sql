-- One line per sample: its funding mode and confidence, the countries and the TRL ranges it names.
select regexp_extract(d.source, '[^/]+$') as document,
       c.funding_mode,
       round(greatest(c.p_matching_fund, c.p_direct_fund, c.p_neither), 2) as p,
       string_agg(distinct m.value, ' ' order by m.value) filter (where m.label = 'country') as countries,
       string_agg(distinct m.value, ' ' order by m.value) filter (where m.label = 'trl') as trl
from documents d
join classifications c using (doc_id)
left join mentions m using (doc_id)
group by all
order by c.funding_mode, document
