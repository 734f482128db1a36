-- strata:transaction=false
ALTER TYPE mood ADD VALUE 'calm';
