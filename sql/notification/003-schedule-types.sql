-- 003-schedule-types.sql -- room for the longer notification types a moved or cancelled
-- schedule brings (schedule_moved, schedule_cancelled: up to 18 characters).
ALTER TABLE notifications MODIFY type VARCHAR(32) NOT NULL;
ALTER TABLE settings MODIFY type VARCHAR(32) NOT NULL;
