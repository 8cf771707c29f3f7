from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "signin"
    verbose_name = "Sign-in protection"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .session_limits import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="signin.stamp_sign_in")
