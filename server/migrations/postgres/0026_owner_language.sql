-- The language the owner reads (rules.md "Languages"): the page they filed from, 'zh-CN' or
-- 'en'. Messages to them (SMS, e-mail, WeChat) are written in it.
ALTER TABLE complaints ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';
