-- Choosing the family doctor (MMG) or paediatrician (PLS): the massimale is
-- enforced by the database itself, inside the very INSERT that registers a
-- choice, so two people can never both take a doctor's last place
-- (SQLite runs one write at a time; the trigger's count and the insert are
-- one statement).

CREATE TRIGGER doctor_choices_within_massimale
BEFORE INSERT ON doctor_choices
WHEN NEW.ended_on IS NULL
 AND (SELECT count(*) FROM doctor_choices c WHERE c.doctor_id = NEW.doctor_id AND c.ended_on IS NULL)
     >= (SELECT max_patients FROM doctors WHERE id = NEW.doctor_id)
 -- "Altro familiare in carico": someone of the same household (same
 -- address) already with this doctor may be joined above the massimale.
 AND NOT EXISTS (
     SELECT 1 FROM doctor_choices c
       JOIN people member ON member.fiscal_code = c.person
       JOIN people chooser ON chooser.fiscal_code = NEW.person
      WHERE c.doctor_id = NEW.doctor_id AND c.ended_on IS NULL AND c.person <> NEW.person
        AND member.address = chooser.address AND member.municipality = chooser.municipality)
BEGIN
    SELECT RAISE(ABORT, 'doctor_full');
END;

-- Who registered the choice (the person, a parent or a delegate), shown on
-- the confirmation document.
ALTER TABLE doctor_choices ADD COLUMN chosen_by TEXT;
