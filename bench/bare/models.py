from django.db import models


class Program(models.Model):
    """The portal's programs table, read as it is (the bare project migrates nothing)."""

    slug = models.SlugField()
    title_ind = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    progress = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = "pillars_program"
        ordering = ["title_ind", "pk"]

    def __str__(self):
        return self.title_ind
