# Production image: gunicorn serves the app, WhiteNoise the static files; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 QUAI_ENV=production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY quai ./quai
COPY members ./members
COPY coworking ./coworking
COPY events ./events
COPY incubator ./incubator
COPY fabrique ./fabrique
COPY templates ./templates
COPY locale ./locale
COPY manage.py ./
RUN pip install --no-cache-dir . polib && python -c "from quai.i18n import compile_all; from pathlib import Path; compile_all(Path('.'))"
RUN SECRET_KEY=build ALLOWED_HOSTS=build DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost \
    python manage.py collectstatic --noinput
RUN useradd --create-home quai && mkdir -p /app/var/media && chown -R quai /app/var
USER quai
EXPOSE 8000
CMD ["gunicorn", "quai.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
