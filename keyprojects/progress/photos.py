"""Site photos of monthly reports: images only (checked by Pillow, not by the file name), within the
size limit, with the moment the photo was taken read from its EXIF DateTimeOriginal."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from keyprojects.core.errors import ApplicationError
from keyprojects.core.text import labelled

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME = 0x0132
# Decompression bombs are refused before any pixel is decoded.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class PhotoInfo:
    extension: str
    taken_at: datetime.datetime | None


def limit_mb(max_bytes: int) -> str:
    """The size limit in MB as people write it: 5, 0.5, 2.5."""
    return f"{max_bytes / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _refuse(upload: UploadedFile, message: str) -> ApplicationError:
    return ApplicationError(message, errors={"photos": [labelled(upload.name, message)]})


def _taken_at(image: Image.Image) -> datetime.datetime | None:
    exif = image.getexif()
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None
    # Cameras record local wall-clock time without a zone: read it in the platform's zone.
    return timezone.make_aware(moment)


def inspect_photo(upload: UploadedFile, *, max_bytes: int) -> PhotoInfo:
    """Check one uploaded file and read its EXIF time; ApplicationError on `photos` when refused."""
    if upload.size is not None and upload.size > max_bytes:
        raise _refuse(
            upload,
            _("照片不能超过%(limit)sMB") % {"limit": limit_mb(max_bytes)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()  # must come first after opening; the image is read again below
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise _refuse(upload, _("只能上传JPG、PNG或WEBP格式的图片"))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(upload, _("图片尺寸过大"))
            extension = ALLOWED_FORMATS[image.format]
            taken_at = _taken_at(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(upload, _("文件不是有效的图片")) from None
    finally:
        upload.seek(0)
    return PhotoInfo(extension=extension, taken_at=taken_at)
