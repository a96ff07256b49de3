"""Pages of 一街一品. Each view parses input, asks ``can``, calls one selector or service and
renders; the scope lives in the selectors."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jiceng.core.errors import PermissionDenied, ValidationFailed
from jiceng.core.views.base import AppView, form_error

from . import selectors, services
from .forms import (
    BrandCreateForm,
    BrandForm,
    CampaignForm,
    CampaignStatusForm,
    CampaignUpdateForm,
    CriterionForm,
    PanelMemberForm,
    PhotoForm,
    ScoreSheetForm,
)
from .models import CampaignStatus
from .permissions import can


class BrandsView(AppView):
    denied_message = "审计管理员和安全管理员不能查看一街一品数据。"

    def allowed(self, user) -> bool:
        return can(user, "view")


def _post_outcome(request, action, success: str):
    """Run a service for a small form of the campaign page: a message either way."""
    try:
        action()
    except ValidationFailed as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)


# ---- the wall and the results -----------------------------------------------------------


class BrandWallView(BrandsView):
    def get(self, request):
        user = request.user
        year = request.GET.get("year", "")
        campaign = selectors.campaign_for_wall(
            user=user,
            year=int(year) if len(year) == 4 and year.isascii() and year.isdigit() else None,
        )
        context = {
            "campaign": campaign,
            "campaigns": list(selectors.campaign_list_visible_to(user=user)),
            "can_manage": can(user, "manage_campaigns"),
        }
        if campaign is not None:
            groups = selectors.brand_wall(user=user, campaign=campaign)
            context |= {
                "groups": groups,
                "total": sum(len(g.brands) for g in groups),
                "can_create": campaign.accepts_entries and can(user, "create_some_brand"),
                "can_score": campaign.accepts_scores and can(user, "score_campaign", campaign),
            }
        return render(request, "brands/wall.html", context)


class CampaignResultsView(BrandsView):
    def get(self, request, pk):
        user = request.user
        campaign = selectors.campaign_get_for(user=user, pk=pk)
        brands = selectors.brand_results(user=user, campaign=campaign)
        return render(
            request,
            "brands/results.html",
            {
                "campaign": campaign,
                "brands": brands,
                "counts": selectors.echelon_counts(brands=brands),
                "panel_size": len(campaign.panel.all()),
            },
        )


# ---- campaigns ---------------------------------------------------------------------------


class CampaignListView(BrandsView):
    def get(self, request):
        user = request.user
        campaigns = list(selectors.campaign_list_visible_to(user=user))
        counts = selectors.brand_counts_by_campaign(user=user)
        for campaign in campaigns:
            campaign.brand_count = counts.get(campaign.pk, 0)
        return render(
            request,
            "brands/campaign_list.html",
            {"campaigns": campaigns, "can_manage": can(user, "manage_campaigns")},
        )


class CampaignCreateView(BrandsView):
    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def get(self, request):
        return render(request, "brands/campaign_form.html", {"form": CampaignForm()})

    def post(self, request):
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_create(by=request.user, **form.cleaned_data)
            except ValidationFailed as e:
                form_error(form, e)
            else:
                messages.success(request, _("已创建 %(name)s。") % {"name": campaign.name})
                return redirect(campaign)
        return render(request, "brands/campaign_form.html", {"form": form}, status=400)


class CampaignDetailView(BrandsView):
    def get(self, request, pk):
        user = request.user
        campaign = selectors.campaign_get_for(user=user, pk=pk)
        brands = list(selectors.brand_list_visible_to(user=user, campaign=campaign))
        can_manage = can(user, "manage_campaigns")
        return render(
            request,
            "brands/campaign_detail.html",
            {
                "campaign": campaign,
                "criteria": campaign.criteria.all(),
                "panel": campaign.panel.all(),
                "full_marks": selectors.campaign_full_marks(campaign=campaign),
                "brand_total": len(brands),
                "counts": selectors.echelon_counts(brands=brands),
                "statuses": CampaignStatus,
                "can_manage": can_manage,
                "rubric_locked": selectors.campaign_has_sheets(campaign=campaign)
                or campaign.status == CampaignStatus.CLOSED,
                "candidates": (selectors.panel_candidates(campaign=campaign) if can_manage else []),
                "can_score": campaign.accepts_scores and can(user, "score_campaign", campaign),
                "criterion_form": CriterionForm(),
                "panel_form": PanelMemberForm(),
            },
        )


class CampaignUpdateView(BrandsView):
    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def get(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        form = CampaignUpdateForm(
            initial={
                "name": campaign.name,
                "description": campaign.description,
                "leading_threshold": campaign.leading_threshold,
                "pioneering_threshold": campaign.pioneering_threshold,
            }
        )
        return render(request, "brands/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        form = CampaignUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.campaign_update(by=request.user, campaign=campaign, **form.cleaned_data)
            except ValidationFailed as e:
                form_error(form, e)
            else:
                messages.success(request, _("已保存，各品牌梯队已按新分数线重新划分。"))
                return redirect(campaign)
        return render(
            request,
            "brands/campaign_form.html",
            {"form": form, "campaign": campaign},
            status=400,
        )


class CampaignStatusView(BrandsView):
    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def post(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        form = CampaignStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("状态无效。"))
            return redirect(campaign)
        status = form.cleaned_data["status"]
        _post_outcome(
            request,
            lambda: services.campaign_set_status(by=request.user, campaign=campaign, status=status),
            _("行动状态已改为“%(s)s”。") % {"s": CampaignStatus(status).label},
        )
        return redirect(campaign)


class CriterionAddView(BrandsView):
    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def post(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        form = CriterionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写评分项名称和满分（最多一位小数）。"))
            return redirect(campaign)
        _post_outcome(
            request,
            lambda: services.criterion_add(by=request.user, campaign=campaign, **form.cleaned_data),
            _("已添加评分项“%(n)s”。") % {"n": form.cleaned_data["name"]},
        )
        return redirect(campaign)


class CriterionRemoveView(BrandsView):
    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def post(self, request, pk):
        criterion = selectors.criterion_get_for(user=request.user, pk=pk)
        _post_outcome(
            request,
            lambda: services.criterion_remove(by=request.user, criterion=criterion),
            _("已删除评分项“%(n)s”。") % {"n": criterion.name},
        )
        return redirect(criterion.campaign)


class PanelAddView(BrandsView):
    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def post(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        form = PanelMemberForm(request.POST)
        username = form.cleaned_data["username"].strip() if form.is_valid() else ""
        member = selectors.panel_user_by_username(user=request.user, username=username)
        if member is None:
            messages.error(request, _("找不到该用户名的账号。"))
            return redirect(campaign)
        _post_outcome(
            request,
            lambda: services.panel_member_add(by=request.user, campaign=campaign, user=member),
            _("已将 %(u)s 加入评审组。") % {"u": member},
        )
        return redirect(campaign)


class PanelRemoveView(BrandsView):
    http_method_names = ["post"]

    def allowed(self, user) -> bool:
        return can(user, "manage_campaigns")

    def post(self, request, pk):
        member = selectors.panel_member_get_for(user=request.user, pk=pk)
        _post_outcome(
            request,
            lambda: services.panel_member_remove(by=request.user, member=member),
            _("已将 %(u)s 移出评审组。") % {"u": member.user},
        )
        return redirect(member.campaign)


# ---- brands ------------------------------------------------------------------------------


class BrandDetailView(BrandsView):
    def get(self, request, pk):
        user = request.user
        brand = selectors.brand_get_for(user=user, pk=pk)
        campaign = brand.campaign
        return render(
            request,
            "brands/brand_detail.html",
            {
                "brand": brand,
                "photos": brand.photos.all(),
                "can_edit": can(user, "edit_brand", brand),
                "can_score": campaign.accepts_scores and can(user, "score", brand),
                "sheets": selectors.brand_sheets(user=user, brand=brand),
                "photo_form": PhotoForm(),
            },
        )


class BrandCreateView(BrandsView):
    def allowed(self, user) -> bool:
        return can(user, "create_some_brand")

    def _render(self, request, campaign, form, status=200):
        return render(
            request,
            "brands/brand_form.html",
            {
                "form": form,
                "campaign": campaign,
                "communities": selectors.community_choices_for_brand(
                    user=request.user, campaign=campaign
                ),
            },
            status=status,
        )

    def get(self, request, pk):
        campaign = selectors.campaign_get_for(user=request.user, pk=pk)
        return self._render(request, campaign, BrandCreateForm())

    def post(self, request, pk):
        user = request.user
        campaign = selectors.campaign_get_for(user=user, pk=pk)
        form = BrandCreateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            area = (
                selectors.community_choices_for_brand(user=user, campaign=campaign)
                .filter(code=data.pop("area"))
                .first()
            )
            if area is None:
                form.add_error("area", _("该社区不在您可申报的范围内，或已有品牌。"))
            else:
                try:
                    brand = services.brand_create(by=user, campaign=campaign, area=area, **data)
                except ValidationFailed as e:
                    form_error(form, e)
                else:
                    messages.success(request, _("已申报品牌“%(n)s”。") % {"n": brand.name})
                    return redirect(brand)
        return self._render(request, campaign, form, status=400)


class BrandUpdateView(BrandsView):
    def _brand(self, request, pk):
        brand = selectors.brand_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_brand", brand):
            raise PermissionDenied(_("您无权修改该品牌。"))
        return brand

    def get(self, request, pk):
        brand = self._brand(request, pk)
        form = BrandForm(
            initial={"name": brand.name, "focus": brand.focus, "description": brand.description}
        )
        return render(request, "brands/brand_form.html", {"form": form, "brand": brand})

    def post(self, request, pk):
        brand = self._brand(request, pk)
        form = BrandForm(request.POST)
        if form.is_valid():
            try:
                services.brand_update(by=request.user, brand=brand, **form.cleaned_data)
            except ValidationFailed as e:
                form_error(form, e)
            else:
                messages.success(request, _("品牌信息已保存。"))
                return redirect(brand)
        return render(request, "brands/brand_form.html", {"form": form, "brand": brand}, status=400)


class PhotoAddView(BrandsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        brand = selectors.brand_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_brand", brand):
            raise PermissionDenied(_("您无权为该品牌上传图片。"))
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的图片。"))
            return redirect(brand)
        _post_outcome(
            request,
            lambda: services.brand_photo_add(
                by=request.user,
                brand=brand,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            ),
            _("图片已上传。"),
        )
        return redirect(brand)


@method_decorator(never_cache, name="dispatch")
class PhotoView(BrandsView):
    """The photo's bytes, only to those who may see its brand (no public media URL)."""

    def get(self, request, pk):
        photo = selectors.photo_get_for(user=request.user, pk=pk)
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=photo.content_type)
        response["Content-Disposition"] = "inline"
        return response


class PhotoRemoveView(BrandsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        photo = selectors.photo_get_for(user=request.user, pk=pk)
        if not can(request.user, "edit_photo", photo):
            raise PermissionDenied(_("您无权删除该图片。"))
        services.brand_photo_remove(by=request.user, photo=photo)
        messages.success(request, _("图片已删除。"))
        return redirect(photo.brand)


# ---- evaluation --------------------------------------------------------------------------


class ScoringListView(BrandsView):
    def get(self, request, pk):
        user = request.user
        campaign = selectors.campaign_get_for(user=user, pk=pk)
        if not can(user, "score_campaign", campaign):
            raise PermissionDenied(_("只有本次行动评审组成员可以评分。"))
        brands = selectors.scoring_list(user=user, campaign=campaign)
        return render(
            request,
            "brands/scoring.html",
            {
                "campaign": campaign,
                "brands": brands,
                "done": sum(1 for b in brands if b.my_total is not None),
            },
        )


class BrandScoreView(BrandsView):
    def _load(self, request, pk):
        user = request.user
        brand = selectors.brand_get_for(user=user, pk=pk)
        if not can(user, "score", brand):
            raise PermissionDenied(_("只有本次行动评审组成员可以评分。"))
        member = selectors.panel_member_of(user=user, campaign=brand.campaign)
        criteria = list(brand.campaign.criteria.order_by("order", "id"))
        return brand, criteria, selectors.sheet_of(member=member, brand=brand)

    def _render(self, request, brand, form, mine, status=200):
        return render(
            request,
            "brands/score_form.html",
            {"brand": brand, "form": form, "mine": mine, "campaign": brand.campaign},
            status=status,
        )

    def get(self, request, pk):
        brand, criteria, mine = self._load(request, pk)
        form = ScoreSheetForm(criteria=criteria, initial_scores=mine)
        return self._render(request, brand, form, mine)

    def post(self, request, pk):
        brand, criteria, mine = self._load(request, pk)
        form = ScoreSheetForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.evaluation_submit(by=request.user, brand=brand, scores=form.scores())
            except ValidationFailed as e:
                form_error(form, e)
            else:
                messages.success(request, _("已提交对“%(n)s”的评分。") % {"n": brand.name})
                return redirect("brands:scoring", pk=brand.campaign_id)
        return self._render(request, brand, form, mine, status=400)
