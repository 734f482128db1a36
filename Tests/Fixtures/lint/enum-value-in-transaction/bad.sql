ALTER TYPE mood ADD VALUE 'calm';
