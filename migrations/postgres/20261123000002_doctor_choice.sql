-- Choosing the family doctor (MMG) or paediatrician (PLS): the massimale is
-- enforced by the database itself, inside the very INSERT that registers a
-- choice, so two people can never both take a doctor's last place
-- PostgreSQL runs transactions side by side (READ COMMITTED): the trigger
-- first locks the doctor's row, so choices of one doctor queue there, and
-- each count (a new statement, a new snapshot) sees every choice committed
-- before it.

CREATE FUNCTION doctor_choices_within_massimale() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    massimale bigint;
BEGIN
    IF NEW.ended_on IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT max_patients INTO massimale FROM doctors WHERE id = NEW.doctor_id FOR UPDATE;
    IF (SELECT count(*) FROM doctor_choices c WHERE c.doctor_id = NEW.doctor_id AND c.ended_on IS NULL) >= massimale
       -- "Altro familiare in carico": someone of the same household (same
       -- address) already with this doctor may be joined above the massimale.
       AND NOT EXISTS (
           SELECT 1 FROM doctor_choices c
             JOIN people member ON member.fiscal_code = c.person
             JOIN people chooser ON chooser.fiscal_code = NEW.person
            WHERE c.doctor_id = NEW.doctor_id AND c.ended_on IS NULL AND c.person <> NEW.person
              AND member.address = chooser.address AND member.municipality = chooser.municipality)
    THEN
        RAISE EXCEPTION USING MESSAGE = 'doctor_full', ERRCODE = 'check_violation', CONSTRAINT = 'doctor_full';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER doctor_choices_within_massimale BEFORE INSERT ON doctor_choices
    FOR EACH ROW EXECUTE FUNCTION doctor_choices_within_massimale();

-- Who registered the choice (the person, a parent or a delegate), shown on
-- the confirmation document.
ALTER TABLE doctor_choices ADD COLUMN chosen_by TEXT;
