-- 002-actor.sql -- who caused a notification (a commenter), so that when that account is
-- deleted (v1.event.user-deleted) the notifications naming it are rewritten with the
-- neutral name ("탈퇴한 회원") and no name is left behind.
ALTER TABLE notifications
  ADD COLUMN actor_id BIGINT UNSIGNED NULL AFTER user_id,
  ADD KEY ix_notifications_actor (actor_id);
