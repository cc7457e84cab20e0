-- who funds whom in the samples: each funder country, the participants it pays, and how
select funder_country, recipient_country, mode, count(distinct doc_id) as documents
from flows
group by all
order by documents desc, funder_country, recipient_country
limit 12;
